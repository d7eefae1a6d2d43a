"""Image generation on a Celery task queue (Redis as broker and result backend) behind Flask.

    redis-server --port 6379 --save '' --appendonly no              # or any Redis 5+
    export REDIS_URL=redis://127.0.0.1:6379/0
    cd examples && celery -A celery_app.tasks worker --pool=threads --concurrency=8 -l info
    cd examples && flask --app celery_app.web run                    # http://127.0.0.1:5000

The web process only enqueues and reads results: a request never waits for a Space. Each worker
process holds one SDK ``Client`` (created when the worker starts, closed when it stops). See
"Scaling out" in the README for the worker settings and the limits that remain.
"""
