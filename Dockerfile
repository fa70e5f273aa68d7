FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml .
RUN pip install --no-cache-dir .
COPY . .
# The environment forbids writing bytecode at run time: compiled once here, not at each process's start.
RUN python -m compileall -q odpe conventions uploads dashboards
RUN useradd --system odpe && chown -R odpe /app
USER odpe
EXPOSE 8000
