-- One database per subgraph, named as the subgraph (the services also create theirs if missing).
CREATE DATABASE users;
CREATE DATABASE cases;
CREATE DATABASE plants;
CREATE DATABASE notifications;
CREATE DATABASE analytics;
