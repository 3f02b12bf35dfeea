"""Reading a till's (POS) customer export: which columns mean what (`layouts`), the file
in whatever encoding it came in, a row at a time (`reading`), each row cleaned and
checked (`records`), what an imported consent may change (`consent`), and finding the
customer a row is about (`matching`). `services/customer_import.py` runs an import.
"""
