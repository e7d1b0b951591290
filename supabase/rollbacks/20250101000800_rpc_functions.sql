-- Rolls back 20250101000800_rpc_functions.sql.
drop function public.get_query_stats(uuid, uuid);
drop function public.get_relationship_graph(uuid, text, integer, text[]);
drop function public.graph_node_label(text, uuid);
