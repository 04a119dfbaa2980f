# {{name}} on Kubernetes: `kubectl apply -f deploy/kubernetes.yaml` after pushing the image
# (docker build -t {{name}}:0.1.0 .). The grace period (30 s) is longer than the app's stop budget
# (5 s drain delay + 10 s stop timeout, main.ts), so in-flight calls finish before SIGKILL.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{name}}
  labels:
    app.kubernetes.io/name: {{name}}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {{name}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{name}}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "8000"
        prometheus.io/path: /metrics
    spec:
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
      containers:
        - name: {{name}}
          image: {{name}}:0.1.0
          ports:
            - name: http
              containerPort: 8000
            - name: grpc
              containerPort: 9000
          env:
            - name: LOG_LEVEL
              value: info
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            failureThreshold: 2
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
            failureThreshold: 3
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
---
apiVersion: v1
kind: Service
metadata:
  name: {{name}}
  labels:
    app.kubernetes.io/name: {{name}}
spec:
  selector:
    app.kubernetes.io/name: {{name}}
  ports:
    - name: http
      port: 8000
      targetPort: http
      appProtocol: http
    - name: grpc
      port: 9000
      targetPort: grpc
      appProtocol: grpc
