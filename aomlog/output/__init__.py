"""aomlog/output."""
