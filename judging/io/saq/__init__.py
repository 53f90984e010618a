"""SAQ questionnaire workbooks: the template organizers fill and the reader that imports it."""
