"""The music catalog: the track schema and its validation, CSV / JSON Lines importers, the
annotator that gives each track an emotion vector, and the bundled demo catalog."""
