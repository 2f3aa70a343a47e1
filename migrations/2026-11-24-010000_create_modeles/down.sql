DROP TABLE modeles;
