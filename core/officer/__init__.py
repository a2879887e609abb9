"""Officer pages: the work queues, the counter (tiếp nhận), the dossier page, search and the unit switcher."""
