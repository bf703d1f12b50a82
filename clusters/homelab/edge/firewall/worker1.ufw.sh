#!/bin/sh
# Node firewall for cluster homelab (node worker1), rendered by cdk8s-netkit.
# Edit the cluster description and render again rather than editing this file.
# Cilium routing mode: vxlan; encryption: none; hubble: on.
# not opened: 6081/udp Cilium Geneve: routingMode is vxlan
# not opened: 51871/udp Cilium WireGuard: encryption is off
# not opened: 4443/tcp metrics-server: metrics-server is a pod reached through the pod network, not a node port; it scrapes kubelets on 10250, already open
# After the rules: ufw default deny incoming && ufw default allow outgoing && ufw enable
# UFW filters the input hook only: 80/443 reach pods through kube-proxy's DNAT before it, so the 80/443 lines below
# admit only host-network listeners and restrict nothing else. The nftables file (chain before_dnat) restricts them.
set -eu

ufw allow from 192.168.0.0/24 to any port 22 proto tcp comment 'SSH from the management network'
ufw allow from 10.42.0.0/16 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.0.45 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.0.46 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.55.11 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.55.12 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.55.13 to any port 6443 proto tcp comment 'Kubernetes API from the load balancer and the nodes'
ufw allow from 192.168.0.45 to any port 80 proto tcp comment 'HTTP ingress from the load balancer'
ufw allow from 192.168.0.46 to any port 80 proto tcp comment 'HTTP ingress from the load balancer'
ufw allow from 192.168.0.45 to any port 443 proto tcp comment 'HTTPS ingress from the load balancer'
ufw allow from 192.168.0.46 to any port 443 proto tcp comment 'HTTPS ingress from the load balancer'
ufw allow from 192.168.55.11 to any port 8472 proto udp comment 'Cilium VXLAN between nodes'
ufw allow from 192.168.55.12 to any port 8472 proto udp comment 'Cilium VXLAN between nodes'
ufw allow from 192.168.55.13 to any port 8472 proto udp comment 'Cilium VXLAN between nodes'
ufw allow from 10.42.0.0/16 to any port 4240 proto tcp comment 'Cilium health checks between nodes'
ufw allow from 192.168.55.11 to any port 4240 proto tcp comment 'Cilium health checks between nodes'
ufw allow from 192.168.55.12 to any port 4240 proto tcp comment 'Cilium health checks between nodes'
ufw allow from 192.168.55.13 to any port 4240 proto tcp comment 'Cilium health checks between nodes'
ufw allow from 10.42.0.0/16 to any port 4244 proto tcp comment 'Hubble server, queried by Hubble relay'
ufw allow from 192.168.55.11 to any port 4244 proto tcp comment 'Hubble server, queried by Hubble relay'
ufw allow from 192.168.55.12 to any port 4244 proto tcp comment 'Hubble server, queried by Hubble relay'
ufw allow from 192.168.55.13 to any port 4244 proto tcp comment 'Hubble server, queried by Hubble relay'
ufw allow from 192.168.55.11 to any port 2379:2380 proto tcp comment 'etcd client and peer between control-plane nodes'
ufw allow from 192.168.55.12 to any port 2379:2380 proto tcp comment 'etcd client and peer between control-plane nodes'
ufw allow from 192.168.55.13 to any port 2379:2380 proto tcp comment 'etcd client and peer between control-plane nodes'
ufw allow from 10.42.0.0/16 to any port 10250 proto tcp comment 'kubelet API'
ufw allow from 192.168.55.11 to any port 10250 proto tcp comment 'kubelet API'
ufw allow from 192.168.55.12 to any port 10250 proto tcp comment 'kubelet API'
ufw allow from 192.168.55.13 to any port 10250 proto tcp comment 'kubelet API'
ufw allow from 10.42.0.0/16 to any port 9100 proto tcp comment 'node-exporter scraped by Prometheus'
ufw allow from 192.168.55.11 to any port 9100 proto tcp comment 'node-exporter scraped by Prometheus'
ufw allow from 192.168.55.12 to any port 9100 proto tcp comment 'node-exporter scraped by Prometheus'
ufw allow from 192.168.55.13 to any port 9100 proto tcp comment 'node-exporter scraped by Prometheus'
