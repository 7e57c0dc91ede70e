"""The Textual face: screens in screens/, widgets by feature in widgets/, styles in styles/."""
