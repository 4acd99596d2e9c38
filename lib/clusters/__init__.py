"""Clustering a scope's tracks: the feature catalog, k-means, and its charts."""
