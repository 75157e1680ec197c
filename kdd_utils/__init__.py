"""kdd_utils: data, preprocessing, models and evaluation for the KDD intrusion-detection study.

The modules, one per concern:

- `kdd_utils.schema`: feature names, types, vocabularies, attack categories;
- `kdd_utils.datasets`: registry, verified lookup/download, validated loading;
- `kdd_utils.preprocessing`: cleaning, the 122-column encoder, targets, the 80/10/10 split.

Heavy dependencies (TensorFlow) are imported only by the modules that need them.
"""

from .datasets import DATASETS, REGISTRY, get_dataset, load, locate, read_kdd
from .errors import KDDError

__all__ = ["DATASETS", "REGISTRY", "KDDError", "get_dataset", "load", "locate", "read_kdd"]
__version__ = "0.1.0"
