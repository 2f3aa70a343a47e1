DROP TABLE voisins_circonscriptions;
DROP TABLE contours_circonscriptions;
DROP TABLE candidatures_circonscriptions;
DROP TABLE participations_circonscriptions;
DROP TABLE circonscriptions;
