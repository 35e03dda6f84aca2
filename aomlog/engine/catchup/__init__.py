"""aomlog/engine/catchup."""
