-- Rolls back 20250101000900_introspection.sql.
drop function public.atoms_introspect(text[]);
