"""The public record of a debate (« compte rendu »): what the room asked and what became of it,
published by a moderator after the evening and kept when the questions are purged."""
