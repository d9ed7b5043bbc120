"""Tiny speech models with random weights, built and saved by the tests themselves.

They load through exactly the code path a real checkpoint does (from_pretrained on a
directory); only their size (hidden 16, one layer) and their knowledge differ. A model
can be *steered* by its output bias so that it always says one thing, which lets a test
check where that answer ends up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

IEMOCAP_LABELS = ("neu", "hap", "ang", "sad")
RAVDESS_LABELS = ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised")


def _tiny_config(**extra: object):
    from transformers import Wav2Vec2Config

    # The standard 7-layer convolutional front end (320× downsampling, 20 ms frames),
    # made narrow; everything after it is one small transformer layer.
    return Wav2Vec2Config(
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        conv_dim=(8,) * 7,
        num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2,
        classifier_proj_size=8,
        **extra,
    )


def _feature_extractor():
    from transformers import Wav2Vec2FeatureExtractor

    return Wav2Vec2FeatureExtractor(
        feature_size=1, sampling_rate=16_000, padding_value=0.0, do_normalize=True,
        return_attention_mask=True,
    )  # fmt: skip


def build_emotion_model(
    folder: Path, labels: Sequence[str], always: str | None = None, seed: int = 0, **config: object
) -> Path:
    """An audio classifier over `labels`; with `always`, steered to answer that label."""
    import torch
    from transformers import Wav2Vec2ForSequenceClassification

    torch.manual_seed(seed)
    label2id = {label: i for i, label in enumerate(labels)}
    config = _tiny_config(id2label=dict(enumerate(labels)), label2id=label2id, **config)
    model = Wav2Vec2ForSequenceClassification(config)
    if always is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.fill_(-4.0)
            model.classifier.bias[list(labels).index(always)] = 4.0
    model.save_pretrained(folder)
    _feature_extractor().save_pretrained(folder)
    return folder


def build_ctc_model(folder: Path, always: str | None = None, seed: int = 0) -> Path:
    """A CTC speech recogniser over letters (and one whole-word token, `always`); with
    `always`, steered to hear that word and nothing else."""
    import torch
    from transformers import Wav2Vec2CTCTokenizer, Wav2Vec2ForCTC, Wav2Vec2Processor

    folder.mkdir(parents=True, exist_ok=True)
    letters = "abcdefghijklmnopqrstuvwxyz'"
    vocab = {"<pad>": 0, "<unk>": 1, "|": 2, **{c: i + 3 for i, c in enumerate(letters)}}
    if always is not None:
        vocab[always] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = Wav2Vec2CTCTokenizer(
        str(folder / "vocab.json"), unk_token="<unk>", pad_token="<pad>", word_delimiter_token="|"
    )
    Wav2Vec2Processor(feature_extractor=_feature_extractor(), tokenizer=tokenizer).save_pretrained(
        folder
    )
    torch.manual_seed(seed)
    model = Wav2Vec2ForCTC(_tiny_config(vocab_size=len(vocab), pad_token_id=0))
    if always is not None:
        with torch.no_grad():
            model.lm_head.weight.zero_()
            model.lm_head.bias.fill_(-4.0)
            model.lm_head.bias[vocab[always]] = 4.0
    model.save_pretrained(folder)
    return folder
