import Linalg
print(cblasProvider())
