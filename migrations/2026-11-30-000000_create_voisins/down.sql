DROP TABLE voisins;
