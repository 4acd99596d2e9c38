"""Clustering a scope's tracks: the feature catalog and matrix (:mod:`.features`), k-means
(:mod:`.kmeans`) and its charts (:mod:`.charts`).

    view = cluster_view(tracks, ClusterParams(k="auto"))   # scaled features → k-means → profiles

Errors: :class:`FeatureError` (unknown or unusable features), :class:`ClusteringError` and its
:class:`NotEnoughTracks`.
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "features": ("CATALOG", "DEFAULT_PRESET", "DEFAULT_SCALING", "PRESETS", "SCALINGS",
                 "Feature", "FeatureError", "FeatureMatrix", "MatrixSummary", "Preset",
                 "available_features", "build_matrix", "parse_features"),
    "kmeans": ("DEFAULT_SEED", "ClusterInfo", "ClusterParams", "ClusterResult", "ClusterView",
               "ClusteringError", "NotEnoughTracks", "best_k", "cluster_matrix",
               "cluster_tracks", "cluster_view", "k_curve", "parse_params"),
    "charts": ("view_charts",),
})
