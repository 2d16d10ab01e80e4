"""The benchmark's peer: the People app as the classic Flask + Flask-SQLAlchemy tutorial
writes it, with the same routes, pages and behaviour as the Rust app (src/routes/people.rs).

It is deliberately idiomatic rather than tuned: the point of the comparison is what a user
of that stack gets by following its documentation. Run it the way such a user deploys it:

    DATABASE_URL=sqlite:///tmp/people.db SECRET_KEY=... gunicorn -c gunicorn.conf.py app:app

DATABASE_URL takes the same forms as our `databases.people.url`: `sqlite://PATH`,
`sqlite:PATH`, a plain file path, or `postgres://...` / `postgresql://...`.
"""

import os
import unicodedata

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_NAME_CHARS = 80
PER_PAGE = 50


def sqlalchemy_url(url):
    """Our URL syntax to SQLAlchemy's, so one setting drives both apps."""
    url = url.strip()
    scheme, sep, rest = url.partition(":")
    if sep and scheme.lower() in ("postgres", "postgresql"):
        # SQLAlchemy refuses the `postgres://` spelling; psycopg2 is the tutorials' driver.
        return "postgresql+psycopg2:" + rest
    if sep and scheme.lower() == "sqlite":
        url = rest[2:] if rest.startswith("//") else rest
    # Absolute, because Flask-SQLAlchemy resolves relative paths against the instance folder.
    return "sqlite:///" + os.path.abspath(url)


app = Flask(
    __name__,
    # The very stylesheet our app serves, so /static/style.css is the same bytes on both.
    static_folder=os.environ.get("PEOPLE_STATIC_DIR", os.path.join(HERE, "..", "..", "static")),
)
# Every gunicorn worker must sign the flash cookie with the same key.
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(
    os.environ.get("DATABASE_URL", "sqlite://people.db")
)
db = SQLAlchemy(app)


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(MAX_NAME_CHARS), unique=True, nullable=False)


with app.app_context():
    db.create_all()


def name_error(name):
    """The same rules and messages as src/person_name.rs."""
    if not name:
        return "Enter a name."
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "Names cannot contain control characters such as tabs or line breaks."
    if len(name) > MAX_NAME_CHARS:
        return f"Use at most {MAX_NAME_CHARS} characters; this name has {len(name)}."
    return None


@app.get("/")
def root():
    return redirect(url_for("index"), 303)


@app.get("/people")
def index():
    q = request.args.get("q", "").strip()
    query = Person.query.order_by(Person.name)
    if q:
        query = query.filter(Person.name.ilike(f"%{q}%"))
    page = query.paginate(page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    return render_template("people/index.html", page=page, q=q)


@app.get("/people/new")
def new():
    return render_template("people/new.html", value="", error=None)


@app.post("/people")
def create():
    value = request.form.get("name", "")
    name = value.strip()
    error = name_error(name)
    if error is None:
        person = Person(name=name)
        db.session.add(person)
        try:
            db.session.commit()
        except IntegrityError:
            # The unique index decides, as in ours: no SELECT-then-INSERT race.
            db.session.rollback()
            error = f"{name} is already taken."
        else:
            flash(f"Added {person.name}", "success")
            return redirect(url_for("show", id=person.id), 303)
    return render_template("people/new.html", value=value, error=error), 422


@app.get("/people/<int:id>")
def show(id):
    person = db.get_or_404(Person, id)
    return render_template("people/show.html", person=person)


@app.get("/people/<int:id>/edit")
def edit(id):
    person = db.get_or_404(Person, id)
    return render_template("people/edit.html", person=person, value=person.name, error=None)


@app.post("/people/<int:id>")
def update_or_delete(id):
    # HTML forms only send GET and POST; like Rocket, take the real method from `_method`.
    method = request.form.get("_method", "").lower()
    if method == "put":
        return update(id)
    if method == "delete":
        return destroy(id)
    abort(404)


def update(id):
    person = db.get_or_404(Person, id)
    value = request.form.get("name", "")
    name = value.strip()
    error = name_error(name)
    if error is None:
        person.name = name
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            error = f"{name} is already taken."
        else:
            flash(f"Updated {person.name}", "success")
            return redirect(url_for("show", id=person.id), 303)
    person = db.get_or_404(Person, id)
    return render_template("people/edit.html", person=person, value=value, error=error), 422


@app.get("/people/<int:id>/delete")
def confirm_delete(id):
    person = db.get_or_404(Person, id)
    return render_template("people/delete.html", person=person)


def destroy(id):
    person = db.get_or_404(Person, id)
    name = person.name
    db.session.delete(person)
    db.session.commit()
    flash(f"Deleted {name}", "success")
    return redirect(url_for("index"), 303)


ERRORS = {
    404: (
        "Page not found",
        "There is nothing at this address. The person may have been deleted, or the link may be mistyped.",
    ),
    500: (
        "Something went wrong",
        "Something went wrong on our side. It has been logged; try again in a moment.",
    ),
}


@app.errorhandler(404)
@app.errorhandler(500)
def error_page(error):
    code = getattr(error, "code", 500)
    title, message = ERRORS.get(code, ERRORS[500])
    return render_template("error.html", code=code, title=title, message=message), code
