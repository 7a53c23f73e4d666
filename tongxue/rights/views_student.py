"""(to be written)"""
urls = []


def case_detail_student(request, case):
    raise NotImplementedError
