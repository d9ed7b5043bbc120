"""Reading emotion from bytes, knowing nothing of chats: one sub-package per modality
(text/, photo/, voice/), each engine an object with `async analyze(input) -> Reading`;
`fusion.py` merges one message's readings; `analysis.py` builds the engines from the
settings and analyses a message; `label_maps/` maps models' labels into the 21 DLUT
categories."""
