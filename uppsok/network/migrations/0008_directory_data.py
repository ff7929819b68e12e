from django.db import migrations


def load_directory(apps, schema_editor):
    from uppsok.network.directory import load

    load(apps.get_model("network", "DirectoryEntry"))


class Migration(migrations.Migration):
    dependencies = [("network", "0007_directory")]

    operations = [migrations.RunPython(load_directory, migrations.RunPython.noop)]
