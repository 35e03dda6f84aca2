"""aomlog/engine."""
