-- Stands for a migration a newer Lanthorn applied, which this build does not know.
CREATE TABLE from_the_future (id INTEGER PRIMARY KEY);
