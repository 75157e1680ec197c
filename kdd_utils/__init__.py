"""kdd_utils: data, preprocessing, models and evaluation for the KDD intrusion-detection study.

The modules, one per concern:

- `kdd_utils.schema`: feature names, types, vocabularies, attack categories;
- `kdd_utils.datasets`: registry, verified lookup/download, validated loading;
- `kdd_utils.preprocessing`: cleaning, the 122-column encoder, targets, the 80/10/10 split;
- `kdd_utils.models`: the paper's LSTM in Keras 3, feeding records as sequences, training;
- `kdd_utils.evaluation`: detection metrics, per-category detection, constant baselines;
- `kdd_utils.imbalance`: class weights and imbalanced-learn samplers (training data only);
- `kdd_utils.plotting`: the study's figures;
- `kdd_utils.published`: published numbers quoted in the book, with their citations;
- `kdd_utils.study`: notebook parameters and the artefacts notebooks hand to each other;
- `kdd_utils.runner`: papermill runs of a profile and the Jupyter Book build;
- `kdd_utils.reproducibility`, `kdd_utils.bookcheck`, `kdd_utils.sphinx_ext`: the book's
  reproducibility page, its browser check, and a small Sphinx fix;
- `kdd_utils.cli`: ``python -m kdd_utils {fetch,validate,info,study,check-book}``.

Heavy dependencies (TensorFlow) are imported only by the modules that need them.
"""

from .datasets import DATASETS, REGISTRY, get_dataset, load, locate, read_kdd
from .errors import KDDError

__all__ = ["DATASETS", "REGISTRY", "KDDError", "get_dataset", "load", "locate", "read_kdd"]
__version__ = "0.1.0"
