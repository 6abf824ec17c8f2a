"""Moving inventory in and out of the service as files (the operator commands).

columns   the columns `export_inventory` writes and `import_inventory` reads, and the
          spreadsheet-formula escaping of text cells
export    streams one row per record and location, in constant memory, as CSV or JSON
reading   reads rows from a CSV or JSON file, with the line number of each
plan      validates every row against the file and the database: a Plan, or row errors
apply     applies a Plan in one transaction through the stock services (door `command`)
report    the records that need reorder (`low_stock_report`)
"""
