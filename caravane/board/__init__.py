"""The live question board: its rules, the events they produce, and the three audiences' views.

Data flows one way: a socket event or HTTP request is parsed (`inputs`), spent against its
budget and handed to the rules (`service`), which store the change in one transaction
(`rules`) and return events (`events`); the publisher sends them to rooms (`publisher`).
docs/architecture.md draws the parts and what each may import.
"""
