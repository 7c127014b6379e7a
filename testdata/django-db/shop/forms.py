from django import forms


class ProductChoiceField(forms.ModelChoiceField):
    """A product picker (renders its queryset when the form is shown)."""
