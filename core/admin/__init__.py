"""District and unit administration: units, plugins per unit, staff and roles, the calendar, the queue overview."""
