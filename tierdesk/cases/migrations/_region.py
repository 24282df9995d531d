"""Copying a case's region onto rows that hang off the case, shared by the migrations that add
such a column (clock spans, follow-ups).

Its name starts with an underscore, so Django does not take it for a migration.
"""


def copy_region_from_case(app_label: str, model_name: str):
    """A RunPython function filling `region_id` of app_label.model_name from its case, in one
    set-based UPDATE."""

    def copy(apps, schema_editor):
        table = apps.get_model(app_label, model_name)._meta.db_table
        cases = apps.get_model("cases", "Case")._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"UPDATE {quote(table)} SET region_id = c.region_id "
            f"FROM {quote(cases)} c WHERE c.id = {quote(table)}.case_id"
        )

    return copy
