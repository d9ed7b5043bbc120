"""What the burst benchmarks (telegram, discord, web) have people say: the same twelve
feelings, Chinese and English and emoji, so their figures compare."""

from __future__ import annotations

FEELINGS = (
    "I feel lonely and sad tonight", "I am so happy today!", "今天好累，有点想家",
    "I'm furious about work", "我今天非常开心", "feeling calm and grateful 😌",
    "so anxious about the exam tomorrow", "😭😭", "我好想你", "what a wonderful surprise",
    "I am bored and a bit annoyed", "心里很平静，很安心",
)  # fmt: skip
