"""Django's JSON serialization, keeping the microseconds of times.

The stock encoder cuts times to milliseconds (the JavaScript date format); a restored case's
history would then differ from the original, and events in one millisecond would lose order.
"""

import datetime

from django.core.serializers import json as django_json

Deserializer = django_json.Deserializer


class ExactJSONEncoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
