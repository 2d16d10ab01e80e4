# gunicorn as its documentation deploys a Flask app: sync workers, (2 x cores) + 1 of them.
# The bench passes the address with --bind.
import multiprocessing

workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
# No access log, as ours logs no request in release.
accesslog = None
loglevel = "warning"
