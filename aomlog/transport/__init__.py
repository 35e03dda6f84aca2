"""aomlog/transport."""
