"""(to be written)"""
urls = []
