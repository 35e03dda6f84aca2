"""aomlog/metrics."""
