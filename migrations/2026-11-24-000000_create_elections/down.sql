DROP TABLE chomage;
DROP TABLE resultats;
DROP TABLE participations;
DROP TABLE candidats;
DROP TABLE tours;
DROP TABLE familles;
DROP TABLE departements;
DROP TABLE regions;
