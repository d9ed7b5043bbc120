"""emotion_engines/text"""
