DROP TABLE previsions;
