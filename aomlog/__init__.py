"""aomlog: tail the logs of Huawei Cloud ModelArts training jobs."""

__version__ = "0.1.0"

__all__ = ["__version__"]
