"""`nianbao audit`: every report of a folder or zip checked in parallel, written as a workbook."""
