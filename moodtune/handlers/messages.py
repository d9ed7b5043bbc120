"""What the bot says, in English and Chinese."""

from __future__ import annotations

from moodtune.emotion import GROUPS

MESSAGES: dict[str, dict[str, str]] = {
    "no_signal": {
        "en": "I could not read a feeling in that. Tell me how you feel, "
        "for example “I feel calm” or “a bit sad today”.",
        "zh": "我没能读出你的情绪。可以直接告诉我你的感受，比如“我很平静”或“今天有点难过”。",
    },
    "no_tracks": {
        "en": "I have no more tracks for this mood right now. Try again later.",
        "zh": "这个心情下暂时没有更多的歌了，稍后再试吧。",
    },
    "tracks_header": {"en": "Tracks for you:", "zh": "给你的歌："},
    "vote_up": {"en": "Noted 👍: more like this.", "zh": "记下了 👍：会多推荐这样的歌。"},
    "vote_down": {"en": "Noted 👎: I won't offer it again.", "zh": "记下了 👎：不会再推荐它。"},
    "vote_unknown": {
        "en": "I can't find that track among the ones I offered you.",
        "zh": "在推荐给你的歌里找不到这首。",
    },
    "bad_input": {"en": "{reason}", "zh": "{reason}"},
    "start": {
        "en": "Hi {name}! I answer a feeling with music. Tell me how you feel — in words, "
        "with a photo or a voice note — and I'll read your mood and find tracks that fit. "
        "Rate them with 👍 / 👎 and I'll learn your taste. /help lists everything.",
        "zh": "你好，{name}！我用音乐回应你的心情。用文字、照片或语音告诉我你的感受，"
        "我会读出你的情绪并找到合适的歌。用 👍 / 👎 评价，我会记住你的口味。/help 查看全部功能。",
    },
    "help": {
        "en": "Send me how you feel: words (English or Chinese, emoji welcome), a photo "
        "(with a caption if you like), a voice note or a sticker.\n"
        "👍 / 👎 under a track: more or less like it. “Not how I feel”: tell me your mood.\n"
        "/mode match|lift — match your mood, or lift it step by step\n"
        "/mood — a chart of your mood over the last 30 days\n"
        "/export — everything I store about you, as JSON\n"
        "/forget — erase everything I store about you\n"
        "/privacy — what I keep and what I don't",
        "zh": "告诉我你的感受：文字（中文或英文，可以用表情）、照片（可以加说明）、语音或贴纸。\n"
        "歌曲下的 👍 / 👎：多推荐或不再推荐。“不是这种感觉”：告诉我你真正的心情。\n"
        "/mode match|lift — 贴合你的心情，或一步步让心情好起来\n"
        "/mood — 你最近 30 天的心情图\n"
        "/export — 以 JSON 导出我保存的关于你的全部数据\n"
        "/forget — 删除我保存的关于你的一切\n"
        "/privacy — 我保存什么、不保存什么",
    },
    "privacy": {
        "en": "Photos and voice notes are analysed in memory and never stored, on disk or in "
        "the database. I keep: your platform id, name and language, your mode, the moods I "
        "read (as numbers), the tracks I offered and your 👍 / 👎. /export shows all of it; "
        "/forget erases all of it.",
        "zh": "照片和语音只在内存中分析，从不保存到磁盘或数据库。我保存：你的平台账号、名字和语言、"
        "你的模式、读出的心情（数字）、推荐过的歌和你的 👍 / 👎。/export 可以查看全部，"
        "/forget 可以全部删除。",
    },
    "mode_now": {
        "en": "You are in {mode} mode. /mode match answers your mood as it is; "
        "/mode lift moves it step by step toward a brighter one.",
        "zh": "当前模式：{mode}。/mode match 贴合你此刻的心情；/mode lift 一步步让心情好起来。",
    },
    "mode_set": {
        "en": "Mode set to {mode}.",
        "zh": "模式已设为 {mode}。",
    },
    "mode_usage": {
        "en": "Use /mode match or /mode lift.",
        "zh": "请用 /mode match 或 /mode lift。",
    },
    "mood_empty": {
        "en": "I have no moods of yours from the last 30 days yet. Tell me how you feel!",
        "zh": "最近 30 天还没有你的心情记录。告诉我你现在的感受吧！",
    },
    "mood_summary": {
        "en": "Your mood over the last 30 days ({count} readings), mostly: {top}.",
        "zh": "你最近 30 天的心情（{count} 条记录），主要是：{top}。",
    },
    "nothing_stored": {
        "en": "I store nothing about you.",
        "zh": "我没有保存任何关于你的数据。",
    },
    "export_caption": {
        "en": "Everything I store about you.",
        "zh": "我保存的关于你的全部数据。",
    },
    "forget_ask": {
        "en": "This erases everything I store about you: your moods, the tracks I offered "
        "and your 👍 / 👎. It cannot be undone. Erase it all?",
        "zh": "这会删除我保存的关于你的一切：心情、推荐过的歌和你的 👍 / 👎，"
        "且无法恢复。确定删除吗？",
    },
    "forget_yes": {"en": "Yes, erase everything", "zh": "确定，全部删除"},
    "forget_no": {"en": "No, keep it", "zh": "不，保留"},
    "forgotten": {
        "en": "Done: I erased everything about you ({rows} records). Say hi any time to "
        "start afresh.",
        "zh": "已完成：关于你的一切都已删除（{rows} 条记录）。随时可以重新开始。",
    },
    "forget_cancelled": {"en": "Nothing was erased.", "zh": "没有删除任何内容。"},
    "forget_expired": {
        "en": "That question has expired. Send /forget again if you still want me to "
        "erase everything.",
        "zh": "这个确认已过期。如果仍想删除，请重新发送 /forget。",
    },
    "correction_header": {
        "en": "Thanks for telling me: you feel {group}.",
        "zh": "谢谢告诉我：你现在的心情是{group}。",
    },
    "correction_unknown": {
        "en": "That button belongs to a reply I can no longer find. Tell me how you feel.",
        "zh": "找不到这个按钮对应的回复了。直接告诉我你的感受吧。",
    },
    "not_how_i_feel": {"en": "🙅 Not how I feel", "zh": "🙅 不是这种感觉"},
    "not_yours": {
        "en": "That button is for the person I answered.",
        "zh": "这个按钮属于我回复的那个人。",
    },
    "button_expired": {
        "en": "That button no longer works. Tell me how you feel again.",
        "zh": "这个按钮已失效。请重新告诉我你的感受。",
    },
    "too_fast": {
        "en": "You're sending messages faster than I can listen ({limit} a minute). "
        "Take a breath; I'll be with you again in a minute.",
        "zh": "你发消息太快了（每分钟最多 {limit} 条）。歇一口气，一分钟后我再陪你聊。",
    },
    "file_too_big": {
        "en": "That file is {size} MB; I can only fetch files up to {limit} MB. "
        "A shorter voice note or a smaller photo will do.",
        "zh": "这个文件有 {size} MB，我最多只能获取 {limit} MB 的文件。"
        "发一段短一点的语音或小一点的照片吧。",
    },
    "file_too_big_unknown": {
        "en": "That file is too big: I can only fetch files up to {limit} MB. "
        "A shorter voice note or a smaller photo will do.",
        "zh": "这个文件太大了，我最多只能获取 {limit} MB 的文件。"
        "发一段短一点的语音或小一点的照片吧。",
    },
    "unsupported_document": {
        "en": "I can't read {name}. I read photos (JPEG, PNG, WebP, GIF) and sound "
        "(voice notes, OGG, MP3, WAV, FLAC, M4A).",
        "zh": "我读不了 {name}。我能读照片（JPEG、PNG、WebP、GIF）"
        "和声音（语音、OGG、MP3、WAV、FLAC、M4A）。",
    },
    "unsupported_message": {
        "en": "I read words, photos, voice notes and stickers. Tell me how you feel!",
        "zh": "我能读文字、照片、语音和贴纸。告诉我你的感受吧！",
    },
    "sticker_without_emoji": {
        "en": "That sticker has no emoji I could read. Tell me how you feel in words.",
        "zh": "这个贴纸没有可读的表情。用文字告诉我你的感受吧。",
    },
    "unknown_command": {
        "en": "I don't know /{name}. /help lists what I can do.",
        "zh": "我不认识 /{name}。/help 查看我能做什么。",
    },
    "download_failed": {
        "en": "I couldn't fetch that file. Please send it again.",
        "zh": "没能获取这个文件，请再发一次。",
    },
    "server_error": {
        "en": "Something went wrong on my side. Please try again in a moment.",
        "zh": "我这边出了点问题，请稍后再试。",
    },
    "modality_text": {"en": "words", "zh": "文字"},
    "modality_photo": {"en": "photo", "zh": "照片"},
    "modality_voice": {"en": "voice", "zh": "语音"},
    "modality_unread": {"en": "nothing read", "zh": "没有读出情绪"},
    # Engine notes (emotion_engines.reading.Note), said by handlers/notes.py.
    "note_text_no_feeling_words": {
        "en": "I found no feeling words I know.",
        "zh": "我没有找到认识的表达情绪的词。",
    },
    "note_text_unknown_language": {
        "en": "I can only read feelings in Chinese and English for now.",
        "zh": "我目前只能读懂中文和英文里的情绪。",
    },
    "note_text_reference_no_keyword": {
        "en": "None of the keywords is in the lexicon.",
        "zh": "关键词都不在情感词典里。",
    },
    "note_text_reference": {"en": "DLUT reference algorithm", "zh": "大连理工情感词汇本体参考算法"},
    "note_text_model_unclear": {
        "en": "The model found no clear feeling.",
        "zh": "模型没有读出明确的情绪。",
    },
    "note_text_model_labels": {"en": "{labels} labels", "zh": "{labels} 标签"},
    "note_photo_no_face": {"en": "no face found", "zh": "没有找到人脸"},
    "note_photo_one_face": {
        "en": "1 face, {read} with a readable expression",
        "zh": "1 张人脸，{read} 张能读出表情",
    },
    "note_photo_faces": {
        "en": "{count} faces, {read} with a readable expression",
        "zh": "{count} 张人脸，{read} 张能读出表情",
    },
    "note_photo_nothing_to_read": {
        "en": "nothing to read in the picture",
        "zh": "照片里没有可以读的内容",
    },
    "note_photo_first_frame": {
        "en": "the first frame of an animated picture",
        "zh": "只读了动图的第一帧",
    },
    "note_photo_flat_colour": {"en": "the picture is one flat colour", "zh": "照片只有一种颜色"},
    "note_photo_colours": {"en": "colours: {light}, {colour}", "zh": "色调：{light}，{colour}"},
    "note_photo_bright": {"en": "bright", "zh": "明亮"},
    "note_photo_dark": {"en": "dark", "zh": "偏暗"},
    "note_photo_mid_tone": {"en": "mid-tone", "zh": "明暗适中"},
    "note_photo_vivid": {"en": "vivid", "zh": "鲜艳"},
    "note_photo_muted": {"en": "muted", "zh": "素淡"},
    "note_photo_moderately_coloured": {"en": "moderately coloured", "zh": "色彩适中"},
    "note_voice_nothing_heard": {
        "en": "I could not hear anything: the note is silent or holds only noise.",
        "zh": "我什么也没听到：这段语音是静音，或者只有噪音。",
    },
    "note_voice_neutral": {"en": "the voice sounds neutral", "zh": "声音听起来很平淡"},
    "note_voice_prosody": {
        "en": "from how you sound: valence {valence:+.2f}, arousal {arousal:+.2f}",
        "zh": "从你的声音听来：愉悦度 {valence:+.2f}，唤醒度 {arousal:+.2f}",
    },
    "note_voice_listened_part": {
        "en": "I listened to the first {seconds:.0f} s.",
        "zh": "我听了前 {seconds:.0f} 秒。",
    },
    "note_voice_listened_part_of": {
        "en": "I listened to the first {seconds:.0f} s of {total:.0f} s.",
        "zh": "这段 {total:.0f} 秒的语音，我听了前 {seconds:.0f} 秒。",
    },
    "note_fusion_no_mood": {"en": "no feeling could be read", "zh": "没有读出任何情绪"},
}

GROUP_EMOJI = {
    "happiness": "😄", "goodness": "🥰", "anger": "😠", "sadness": "😢",
    "fear": "😨", "dislike": "😒", "surprise": "😮",
}  # fmt: skip


def say(key: str, language: str, **values: object) -> str:
    table = MESSAGES[key]
    return table["zh" if language.startswith("zh") else "en"].format(**values)


def group_name(group: str, language: str) -> str:
    """'sadness' → 'sadness' or '哀'."""
    zh_name, en_name, _ = GROUPS[group]
    return zh_name if language.startswith("zh") else en_name


def group_label(group: str, language: str) -> str:
    """A group as a button shows it: '😢 sadness'."""
    return f"{GROUP_EMOJI[group]} {group_name(group, language)}"
