"""aomlog/settings."""
