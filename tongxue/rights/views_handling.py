"""(to be written)"""
urls = []


def case_detail_handling(request, case):
    raise NotImplementedError
