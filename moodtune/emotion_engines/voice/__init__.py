"""emotion_engines/voice"""
