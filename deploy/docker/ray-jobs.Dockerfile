# Ray's image for the RayCluster (deploy/k8s/base/infra/ray.yaml): Ray at the version ray-jobs/requirements.txt
# pins, that file's packages, and the platform's job code (dmlp_jobs), so a job needs no runtime_env install.
#
#   docker build -f deploy/docker/ray-jobs.Dockerfile -t dmlp/ray-jobs:0.1.0 .
FROM rayproject/ray:2.60.0-py311-cpu
COPY --chown=1000:100 ray-jobs/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY --chown=1000:100 ray-jobs/ /home/ray/ray-jobs/
RUN pip install --no-cache-dir --no-deps /home/ray/ray-jobs
