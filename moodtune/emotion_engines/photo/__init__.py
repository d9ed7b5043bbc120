"""emotion_engines/photo"""
