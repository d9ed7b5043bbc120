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
    "vote_up": {
        "en": "Noted 👍 “{title}”: more like this.",
        "zh": "记下了 👍《{title}》：会多推荐这样的歌。",
    },
    "vote_down": {
        "en": "Noted 👎 “{title}”: I won't offer it again.",
        "zh": "记下了 👎《{title}》：不会再推荐它。",
    },
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
        "/mode auto|match|lift — answer each feeling as suits it (sorrow matched, "
        "anxiety soothed), always match it, or lift it step by step\n"
        "/mood — a chart of your mood over the last 30 days\n"
        "/checkin 21:00 Shanghai — I ask how you are every day at that time (/checkin off)\n"
        "/playlist — in a group: tracks for everyone's mood, each member's named\n"
        "/export — everything I store about you, as JSON\n"
        "/forget — erase everything I store about you\n"
        "/privacy — what I keep and what I don't",
        "zh": "告诉我你的感受：文字（中文或英文，可以用表情）、照片（可以加说明）、语音或贴纸。\n"
        "歌曲下的 👍 / 👎：多推荐或不再推荐。“不是这种感觉”：告诉我你真正的心情。\n"
        "/mode auto|match|lift — 按心情选择回应（难过时陪伴，焦虑时安抚）、"
        "总是贴合心情，或一步步让心情好起来\n"
        "/mood — 你最近 30 天的心情图\n"
        "/checkin 21:00 北京 — 每天这个时间问问你的心情（/checkin off 关闭）\n"
        "/playlist — 在群里：给所有人心情的歌单，写明每首为谁而选\n"
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
        "en": "You are in {mode} mode. /mode auto answers each feeling as suits it: sorrow, "
        "longing, love and joy matched, anxiety soothed, boredom and vexation encouraged, "
        "anger given room to let out; /mode match answers your mood as it is; "
        "/mode lift moves it step by step toward a brighter one.",
        "zh": "当前模式：{mode}。/mode auto 按心情选择回应：难过、思念、爱和快乐时贴合，"
        "焦虑时安抚，无聊烦闷时打气，愤怒时帮你释放；/mode match 贴合你此刻的心情；"
        "/mode lift 一步步让心情好起来。",
    },
    "mode_set": {
        "en": "Mode set to {mode}.",
        "zh": "模式已设为 {mode}。",
    },
    "mode_usage": {
        "en": "Use /mode auto, /mode match or /mode lift.",
        "zh": "请用 /mode auto、/mode match 或 /mode lift。",
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
    "input_unusable": {
        "en": "I could not use that.",
        "zh": "这个我没法使用。",
    },
    "server_error": {
        "en": "Something went wrong on my side. Please try again in a moment.",
        "zh": "我这边出了点问题，请稍后再试。",
    },
    "modality_text": {"en": "words", "zh": "文字"},
    "modality_photo": {"en": "photo", "zh": "照片"},
    "modality_voice": {"en": "voice", "zh": "语音"},
    "modality_unread": {"en": "nothing read", "zh": "没有读出情绪"},
    # Durability (the inbox and database outages).
    "vote_not_saved": {
        "en": "Your vote was not saved: I can't reach my database right now. "
        "Please press again in a moment.",
        "zh": "你的评价没有保存：我暂时连不上数据库。请稍后再按一次。",
    },
    "sent_again": {
        "en": "(I restarted while answering you; in case it did not reach you, my answer:)",
        "zh": "（回复你的时候我重启了；以防你没收到，这是我的回答：）",
    },
    "feel_usage": {
        "en": "Tell me how you feel after /feel, e.g. /feel a bit tired but hopeful "
        "(a photo or a voice note works too).",
        "zh": "在 /feel 后面说说你的感受，比如 /feel 有点累但还挺期待（也可以发照片或语音）。",
    },
    "too_late": {
        "en": "Sorry, I was away and only got your message now. Tell me again how you feel?",
        "zh": "抱歉，我刚才不在，现在才收到你的消息。再告诉我一次你现在的感受好吗？",
    },
    # Group playlists (handlers/playlists.py).
    "playlist_usage": {
        "en": "Use /playlist [number] [fair|average|least-misery], e.g. /playlist 8 or "
        "/playlist least-misery. The number is {low} to {high}; fair is the default.",
        "zh": "用法：/playlist [数量] [fair|average|least-misery]，比如 /playlist 8 或 "
        "/playlist least-misery。数量为 {low} 到 {high}，默认 fair（公平）。",
    },
    "playlist_range": {
        "en": "A playlist has {low} to {high} tracks, so {asked} won't do. "
        "Try /playlist {default}.",
        "zh": "歌单可以有 {low} 到 {high} 首歌，{asked} 不行。试试 /playlist {default}。",
    },
    "playlist_private": {
        "en": "/playlist makes one list for everyone in a group chat. Add me to a group, "
        "or just tell me here how you feel.",
        "zh": "/playlist 是给群聊里所有人的歌单。把我加进群吧，或者直接在这里告诉我你的感受。",
    },
    "playlist_nobody": {
        "en": "Nobody here has told me how they feel lately, so I can't make a playlist for "
        "the room yet. Tell me with /feel … (or mention me): everyone who does is counted.",
        "zh": "最近这里还没有人告诉我心情，暂时没法给大家做歌单。用 /feel … 或 @我 说说你的感受，"
        "说了的人都会被算进来。",
    },
    "playlist_header": {
        "en": "🎧 A playlist for the room ({strategy}), for the {count} of you who told me "
        "how you feel:",
        "zh": "🎧 给大家的歌单（{strategy}），照顾到告诉过我心情的 {count} 位：",
    },
    "strategy_fair": {"en": "fair: nobody left far away", "zh": "公平：不让任何人落单"},
    "strategy_average": {"en": "average", "zh": "平均"},
    "strategy_least-misery": {"en": "least misery", "zh": "最少失落"},
    "playlist_fit": {
        "en": "{name} {bar} {fit}% · {tracks} for them",
        "zh": "{name} {bar} {fit}% · {tracks} 首给 ta",
    },
    "playlist_more": {
        "en": "… and {count} more: {low}–{high}%",
        "zh": "……还有 {count} 位：{low}–{high}%",
    },
    "playlist_invite": {
        "en": "Anyone else: tell me how you feel (/feel …) to be counted next time.",
        "zh": "其他人：告诉我你的感受（/feel …），下次就会把你算进来。",
    },
    "playlist_invite_you": {
        "en": "You are not counted yet: tell me how you feel here first (/feel …).",
        "zh": "你还没被算进来：先在这里告诉我你的感受（/feel …）。",
    },
    "playlist_empty": {
        "en": "I have no new tracks for this room right now: everything near your moods "
        "was played here recently. Try again later.",
        "zh": "暂时没有新歌了：和大家心情相近的歌最近都在这里放过了，稍后再试吧。",
    },
    "playlist_for": {"en": "for {name}", "zh": "给 {name}"},
    "member": {"en": "member {number}", "zh": "成员 {number}"},
    "room_vote_up": {
        "en": "Noted 👍, for you only: more like this for you.",
        "zh": "记下了 👍，只算你的：会给你多推荐这样的歌。",
    },
    "room_vote_down": {
        "en": "Noted 👎, for you only: I won't offer it to you again.",
        "zh": "记下了 👎，只算你的：不会再推荐给你。",
    },
    "room_vote_unknown": {
        "en": "That track is no longer on offer in this chat.",
        "zh": "这首歌已经不在这个群的歌单里了。",
    },
    "room_mood_empty": {
        "en": "Nobody here has told me how they feel lately. /feel … to share yours.",
        "zh": "最近这里还没有人告诉我心情。用 /feel … 说说你的吧。",
    },
    "room_mood": {
        "en": "The room's mood, {count} of you (no names): {groups}",
        "zh": "群里的心情，共 {count} 位（不显示名字）：{groups}",
    },
    # Daily check-ins (/checkin).
    "checkin_question": {
        "en": "How are you feeling today? Tap a mood, or tell me in words, with a photo or "
        "a voice note.",
        "zh": "今天感觉怎么样？点一个心情，或者用文字、照片、语音告诉我。",
    },
    "checkin_set": {
        "en": "Done: every day at {time} ({zone}) I'll ask how you feel. Next: {next}.",
        "zh": "好的：每天 {time}（{zone}）我会问问你的心情。下一次：{next}。",
    },
    "checkin_set_group": {
        "en": "Done: every day at {time} ({zone}) I'll ask this room how everyone feels. "
        "Next: {next}.",
        "zh": "好的：每天 {time}（{zone}）我会问问大家的心情。下一次：{next}。",
    },
    "checkin_now": {
        "en": "Daily check-in at {time} ({zone}). Next: {next}.",
        "zh": "每日心情问候：{time}（{zone}）。下一次：{next}。",
    },
    "checkin_now_skipping": {
        "en": "Daily check-in at {time} ({zone}). The next one ({skipped}) is skipped; "
        "then: {next}.",
        "zh": "每日心情问候：{time}（{zone}）。下一次（{skipped}）跳过；之后：{next}。",
    },
    "checkin_now_off": {
        "en": "The daily check-in at {time} ({zone}) is off. /checkin {time} turns it on.",
        "zh": "每日 {time}（{zone}）的心情问候已关闭。/checkin {time} 可以重新打开。",
    },
    "checkin_none": {
        "en": "There is no daily check-in here. /checkin 21:00 Shanghai asks every evening "
        "at nine, Shanghai time (a city, a zone such as Europe/Berlin, or +08:00).",
        "zh": "这里还没有每日心情问候。/checkin 21:00 北京 会在每天北京时间晚上九点问候"
        "（也可以写城市、Europe/Berlin 这样的时区或 +08:00）。",
    },
    "checkin_off": {
        "en": "Daily check-ins are off. /checkin {time} turns them on again.",
        "zh": "每日心情问候已关闭。/checkin {time} 可以重新打开。",
    },
    "checkin_skip": {
        "en": "I'll skip the next check-in ({skipped}); the one after: {next}.",
        "zh": "下一次问候（{skipped}）会跳过；再下一次：{next}。",
    },
    "checkin_already_skipping": {
        "en": "The next check-in ({skipped}) is already skipped; the one after: {next}.",
        "zh": "下一次问候（{skipped}）已经跳过了；再下一次：{next}。",
    },
    "checkin_nothing_to_change": {
        "en": "There is no daily check-in on here. /checkin 21:00 sets one.",
        "zh": "这里没有开启的每日问候。/checkin 21:00 可以设置。",
    },
    "checkin_admins_only": {
        "en": "In a group, only an admin can set, skip or turn off the room's check-in. "
        "/checkin shows it.",
        "zh": "在群里，只有管理员可以设置、跳过或关闭群的每日问候。/checkin 可以查看。",
    },
    "checkin_bad_time": {
        "en": "“{given}” is not a time. Give it as HH:MM on a 24-hour clock, e.g. "
        "/checkin 21:00 or /checkin 08:30 Europe/Berlin.",
        "zh": "“{given}”不是时间。请用 24 小时制的 HH:MM，例如 /checkin 21:00 或 "
        "/checkin 08:30 上海。",
    },
    "checkin_time_range": {
        "en": "“{given}” is not a time of day: hours go from 00 to 23, minutes from 00 to 59.",
        "zh": "“{given}”不是一天中的时间：小时是 00 到 23，分钟是 00 到 59。",
    },
    "checkin_zone_unknown": {
        "en": "I don't know the place or time zone “{given}”. Give a city (Shanghai, London, "
        "北京), a zone such as Asia/Shanghai, or an offset such as +08:00.",
        "zh": "我不认识“{given}”这个地方或时区。可以写城市（北京、上海、London）、"
        "Asia/Shanghai 这样的时区，或 +08:00 这样的时差。",
    },
    "checkin_zone_typo": {
        "en": "I don't know the time zone “{given}”. Did you mean {suggestions}?",
        "zh": "我不认识时区“{given}”。你是想写 {suggestions} 吗？",
    },
    "checkin_offset_range": {
        "en": "“{given}” is not a UTC offset in use: offsets go from -12:00 to +14:00.",
        "zh": "“{given}”不是有效的时差：时差在 -12:00 到 +14:00 之间。",
    },
    "checkin_zone_too_long": {
        "en": "That is too long for a place or a time zone. Try a city, e.g. "
        "/checkin 21:00 London.",
        "zh": "这太长了，不像地名或时区。写个城市吧，例如 /checkin 21:00 北京。",
    },
    "checkin_which_zone": {
        "en": "Which time zone are you in? Add it once: /checkin {time} Shanghai, "
        "/checkin {time} Europe/Berlin or /checkin {time} +08:00.",
        "zh": "你在哪个时区？加上一次就好：/checkin {time} 北京、/checkin {time} "
        "Europe/Berlin 或 /checkin {time} +08:00。",
    },
    "checkin_thanks": {
        "en": "Thanks for checking in: you feel {group}.",
        "zh": "谢谢你的回答：你现在的心情是{group}。",
    },
    "checkin_gone": {
        "en": "That check-in is no longer here. Tell me how you feel any time.",
        "zh": "这条问候已经不在了。随时告诉我你的感受吧。",
    },
    "checkin_answered": {
        "en": "You already answered this check-in. Tell me more any time.",
        "zh": "你已经回答过这次问候了。想说更多随时告诉我。",
    },
    "checkin_week": {"en": "📊 Your week: {top}.", "zh": "📊 你的这一周：{top}。"},
    "checkin_today": {"en": "today, {time}", "zh": "今天 {time}"},
    "checkin_tomorrow": {"en": "tomorrow, {time}", "zh": "明天 {time}"},
    # Picks that answer the message in front of them (issue 12): which mood the picks
    # follow, and how they answer it (recommender/modes.py; a match keeps tracks_header).
    "mood_used_now": {"en": "For how you feel now:", "zh": "按你此刻的心情："},
    "mood_used_earlier": {
        "en": "Still with your {feeling} from earlier:",
        "zh": "还是陪着你刚才的{feeling}：",
    },
    "tracks_lift": {
        "en": "Tracks that start where you are and lift you step by step:",
        "zh": "从此刻的心情出发、一步步让你好起来的歌：",
    },
    "tracks_soothe": {"en": "Calm tracks to ease it:", "zh": "舒缓的歌，帮你放松下来："},
    "tracks_encourage": {
        "en": "Tracks to get you moving again:",
        "zh": "给你打打气的歌：",
    },
    "tracks_release": {
        "en": "Tracks with the same fire, to let it out:",
        "zh": "同样有力量的歌，把情绪释放出来：",
    },
    # What speech-to-text heard in a voice note, or why only its tone was read (issue 17).
    "voice_heard": {"en": "🎙 I heard: “{words}”", "zh": "🎙 我听到：“{words}”"},
    "voice_unheard_language": {
        "en": "🎙 I can't make out words in that language offline yet, so I read only your tone.",
        "zh": "🎙 我暂时还听不懂这种语言的语音，只读了你的语气。",
    },
    "voice_unheard_no_model": {
        "en": "🎙 No speech-to-text is installed, so I read only your tone.",
        "zh": "🎙 没有安装语音识别，我只读了你的语气。",
    },
    "voice_unheard_no_words": {
        "en": "🎙 I couldn't make out any words, so I read only your tone.",
        "zh": "🎙 我没听清你说的话，只读了你的语气。",
    },
    "voice_unheard_failed": {
        "en": "🎙 Speech-to-text failed this time, so I read only your tone.",
        "zh": "🎙 这次语音识别出错了，我只读了你的语气。",
    },
    # The web chat (moodtune/bot/web/).
    "web_bad_frame": {
        "en": "The page sent something I could not read ({reason}). Reloading it should help.",
        "zh": "页面发来了我读不懂的内容（{reason}）。刷新页面试试。",
    },
    "web_bad_upload": {
        "en": "The page sent a file I could not read ({reason}). Please try again.",
        "zh": "页面发来的文件我读不了（{reason}）。请再试一次。",
    },
    "web_no_person": {
        "en": "This page has no moodtune session: its cookie is missing or was changed. "
        "Reload the page to start one.",
        "zh": "这个页面没有 moodtune 会话：它的 cookie 丢失或被改动了。刷新页面即可重新开始。",
    },
    "web_busy": {
        "en": "Too many people are chatting right now. Please try again in a minute.",
        "zh": "现在聊天的人太多了，请一分钟后再试。",
    },
    "web_too_many_tabs": {
        "en": "moodtune is open in too many tabs of this browser. Close one and reload.",
        "zh": "这个浏览器打开的 moodtune 标签页太多了。关掉一个再刷新。",
    },
    "web_other_origin": {
        "en": "This chat answers its own page only.",
        "zh": "这个聊天只回应它自己的页面。",
    },
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
    "note_photo_no_leaning": {"en": "the colours lean neither way", "zh": "色调没有明显倾向"},
    "note_photo_region_lively": {"en": "lively overall", "zh": "整体明快"},
    "note_photo_region_calm": {"en": "calm overall", "zh": "整体平静"},
    "note_photo_region_gloomy": {"en": "gloomy overall", "zh": "整体阴郁"},
    "note_photo_region_tense": {"en": "tense overall", "zh": "整体紧张"},
    "note_photo_crowd": {
        "en": "{found} faces found, the {read} largest read",
        "zh": "找到 {found} 张脸，读了最大的 {read} 张",
    },
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
    # Input an engine refuses (its InputError carries one of these codes).
    "note_input_text_not_text": {
        "en": "I can only read text messages, not {kind}.",
        "zh": "我只能读文字消息。",
    },
    "note_input_text_too_long": {
        "en": "That message is {length} characters long; I read at most {limit}.",
        "zh": "这条消息有 {length} 个字符，我最多读 {limit} 个。",
    },
    "note_input_text_empty": {
        "en": "That message is empty: tell me in a few words how you feel.",
        "zh": "这条消息是空的：用几个字告诉我你的感受吧。",
    },
    "note_input_text_binary": {
        "en": "That looks like binary data, not a text message.",
        "zh": "这看起来是二进制数据，不是文字消息。",
    },
    "note_input_photo_not_an_image": {
        "en": "This file is not an image I can read (JPEG, PNG, WebP or GIF).",
        "zh": "这个文件不是我能读的图片（JPEG、PNG、WebP 或 GIF）。",
    },
    "note_input_photo_damaged": {
        "en": "The picture is truncated or damaged; I could not decode it.",
        "zh": "这张图片不完整或已损坏，我没法解码。",
    },
    "note_input_photo_not_bytes": {
        "en": "A photo must arrive as bytes, not as {kind}.",
        "zh": "照片必须以文件的形式发来。",
    },
    "note_input_photo_empty": {
        "en": "The file is empty; send a photo (JPEG, PNG or WebP).",
        "zh": "文件是空的；请发一张照片（JPEG、PNG 或 WebP）。",
    },
    "note_input_photo_too_big": {
        "en": "The file is {size}; the limit is {limit}.",
        "zh": "文件有 {size}，上限是 {limit}。",
    },
    "note_input_photo_over_pillow_guard": {
        "en": "The picture has more than {pixels} pixels; the limit is {limit} pixels.",
        "zh": "这张图片超过 {pixels} 像素，上限是 {limit} 像素。",
    },
    "note_input_photo_too_many_pixels": {
        "en": "The picture is {size} pixels; the limit is {limit} pixels.",
        "zh": "这张图片是 {size} 像素，上限是 {limit} 像素。",
    },
    "note_input_photo_too_costly": {
        "en": "The picture is {size} pixels; decoding it would take {memory} of memory, "
        "and the limit is {limit}.",
        "zh": "这张图片是 {size} 像素，解码要占用 {memory} 内存，上限是 {limit}。",
    },
    "note_file_jpeg": {"en": "a JPEG image", "zh": "JPEG 图片"},
    "note_file_png": {"en": "a PNG image", "zh": "PNG 图片"},
    "note_file_gif": {"en": "a GIF image", "zh": "GIF 图片"},
    "note_file_webp": {"en": "a WebP image", "zh": "WebP 图片"},
    "note_file_pdf": {"en": "a PDF document", "zh": "PDF 文档"},
    "note_file_zip": {"en": "a ZIP archive", "zh": "ZIP 压缩包"},
    "note_file_gzip": {"en": "a gzip archive", "zh": "gzip 压缩包"},
    "note_file_program": {"en": "a program", "zh": "程序"},
    "note_input_voice_other_file": {
        "en": "This file is {kind}, not a voice note.",
        "zh": "这个文件是{kind}，不是语音。",
    },
    "note_input_voice_not_bytes": {
        "en": "A voice note must be bytes of an audio file, not {kind}.",
        "zh": "语音必须以音频文件的形式发来。",
    },
    "note_input_voice_empty": {"en": "The voice note is empty.", "zh": "这条语音是空的。"},
    "note_input_voice_too_big": {
        "en": "The voice note is {size} MB; I can take at most {limit} MB.",
        "zh": "这条语音有 {size} MB，我最多能收 {limit} MB。",
    },
    "note_input_voice_not_audio": {
        "en": "I do not recognise this file as audio.",
        "zh": "我认不出这是音频文件。",
    },
    "note_input_voice_damaged": {
        "en": "This {container} file is damaged or truncated; I could not read it.",
        "zh": "这个 {container} 文件已损坏或不完整，我读不了。",
    },
    "note_input_voice_odd_rate": {
        "en": "A sample rate of {rate} Hz is not that of a recording.",
        "zh": "{rate} Hz 的采样率不像是录音。",
    },
    "note_input_voice_no_sound": {
        "en": "This {container} file holds no sound at all.",
        "zh": "这个 {container} 文件里没有任何声音。",
    },
    "note_input_voice_needs_ffmpeg": {
        "en": "I cannot read {container} audio here: it needs ffmpeg, which is not installed. "
        "Please send an OGG, MP3, WAV or FLAC file instead.",
        "zh": "这里读不了 {container} 音频：需要 ffmpeg，但没有安装。"
        "请改发 OGG、MP3、WAV 或 FLAC 文件。",
    },
    "note_input_voice_undecodable": {
        "en": "I could not find any sound in this {what}: it is damaged or not audio{detail}.",
        "zh": "这个文件里找不到任何声音：它已损坏，或者不是音频。",
    },
    "note_input_voice_too_slow": {
        "en": "Decoding this voice note took longer than {seconds} s, so I gave up.",
        "zh": "解码这条语音超过了 {seconds} 秒，我只好放弃了。",
    },
    # Discord (moodtune/bot/discord/).
    "discord_mention_me": {
        "en": "I can't read replies here unless you mention me (@{name}) or use /feel.",
        "zh": "在这里我读不到回复的内容，除非你 @{name}，或者用 /feel。",
    },
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
