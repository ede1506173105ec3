"""ClusterBroker: a platform for partnerships of industrial clusters."""

__version__ = "0.1.0"
