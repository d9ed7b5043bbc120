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


def build_whisper_model(folder: Path, always: str = "happy") -> Path:
    """A tiny Whisper (byte-level BPE vocabulary, timestamp tokens included) steered to
    hear " `always`" over and over: its last layer norm outputs a constant and only that
    word's output row points along it."""
    import torch
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperProcessor,
        WhisperTokenizer,
    )
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {char: i for i, char in enumerate(bytes_to_unicode().values())}
    word = "Ġ" + always  # byte-level BPE spells a leading space as Ġ
    specials = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|translate|>",
                "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>",
                "<|notimestamps|>"]  # fmt: skip
    for token in [word, *specials, *(f"<|{i * 0.02:.2f}|>" for i in range(1501))]:
        vocab[token] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    end = "<|endoftext|>"
    tokenizer = WhisperTokenizer(
        str(folder / "vocab.json"), str(folder / "merges.txt"),
        unk_token=end, bos_token=end, eos_token=end, pad_token=end,
    )  # fmt: skip
    tokenizer.add_special_tokens({"additional_special_tokens": specials[1:]})
    WhisperProcessor(WhisperFeatureExtractor(feature_size=80), tokenizer).save_pretrained(folder)
    ids = {name: vocab[name] for name in (end, "<|startoftranscript|>", "<|notimestamps|>")}
    config = WhisperConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, num_mel_bins=80, max_source_positions=1500,
        max_target_positions=32, tie_word_embeddings=False,
        decoder_start_token_id=ids["<|startoftranscript|>"], pad_token_id=ids[end],
        bos_token_id=ids[end], eos_token_id=ids[end],
    )  # fmt: skip
    torch.manual_seed(0)
    model = WhisperForConditionalGeneration(config)
    with torch.no_grad():
        model.model.decoder.layer_norm.weight.zero_()
        model.model.decoder.layer_norm.bias.fill_(1.0)
        model.proj_out.weight.zero_()
        model.proj_out.weight[vocab[word]] = 1.0
    model.generation_config = GenerationConfig(
        decoder_start_token_id=ids["<|startoftranscript|>"], eos_token_id=ids[end],
        pad_token_id=ids[end], max_length=12, no_timestamps_token_id=ids["<|notimestamps|>"],
        lang_to_id={"<|en|>": vocab["<|en|>"]}, is_multilingual=False,
        task_to_id={"transcribe": vocab["<|transcribe|>"], "translate": vocab["<|translate|>"]},
    )  # fmt: skip
    model.save_pretrained(folder)
    return folder
