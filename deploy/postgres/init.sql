-- One database per subgraph, named as the subgraph (the services also create theirs if missing).
CREATE DATABASE users;
