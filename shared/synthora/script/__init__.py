"""Script writing: the Script model, the offline writer and the OpenAI writer."""
